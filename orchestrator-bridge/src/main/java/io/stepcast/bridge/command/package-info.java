/**
 * Client commands on the orchestrator's side: reading a plan's command stream through a consumer group,
 * handing each command to the orchestrator's handler, and publishing its {@code command_result} back to
 * the client's session.
 */
package io.stepcast.bridge.command;
