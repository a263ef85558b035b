/**
 * Processes and the machine: starting and stopping managed processes (Redis, gateways), and reading CPU,
 * memory and load from {@code /proc}.
 */
package io.stepcast.deploy.loadtest.proc;
