/**
 * The load benchmark ({@code deploy/loadtest/run.sh}): it starts the systems under test as processes,
 * drives them with client fleets and publishers, measures against the goals, and writes the report.
 */
package io.stepcast.deploy.loadtest;
