/**
 * A simulated orchestrator that publishes plausible plans through the bridge: the demo's and the
 * benchmark's event source.
 */
package io.stepcast.bridge.demo;
