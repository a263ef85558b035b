/**
 * The bridge's command line: pipe JSON-lines events into Redis, mint client tokens, run the simulated
 * orchestrator, and benchmark the publish path.
 */
package io.stepcast.bridge.cli;
