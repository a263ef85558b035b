/**
 * Results of the benchmark: the goals and their verdicts, latencies, profiles, the Markdown report and
 * its charts.
 */
package io.stepcast.deploy.loadtest.report;
