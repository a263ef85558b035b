/**
 * Demo mode, outside the production gateway: one command starts an embedded Redis, a gateway wired to it
 * and the bridge's simulated orchestrator, and stops them in reverse order.
 */
package io.stepcast.demo;
