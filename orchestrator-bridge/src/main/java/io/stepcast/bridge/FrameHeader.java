package io.stepcast.bridge;

/**
 * The fixed-position members of an event frame, read without parsing {@code data}.
 *
 * @param planId the plan
 * @param seq    sequence number within the epoch
 * @param epoch  the plan's epoch
 * @param event  the event name
 */
public record FrameHeader(String planId, long seq, String epoch, String event) {}
