/**
 * The events an orchestrator publishes: one record per core event (a sealed family), custom events,
 * their validation, and the JSON-lines form read by the CLI's pipe command.
 */
package io.stepcast.bridge.event;
