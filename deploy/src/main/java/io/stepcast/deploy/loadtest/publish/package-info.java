/**
 * Event sources of the benchmark: the bridge, a plain emitter, and the pacing of their rates.
 */
package io.stepcast.deploy.loadtest.publish;
