/**
 * A bare Netty WebSocket broadcaster fed by Redis: the ceiling a JVM gateway could reach on the machine.
 */
package io.stepcast.deploy.loadtest.ceiling;
