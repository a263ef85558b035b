/**
 * The benchmark's scenarios (fan-out, wide, idle, poll, publish, resume storm) and what they share.
 */
package io.stepcast.deploy.loadtest.scenario;
