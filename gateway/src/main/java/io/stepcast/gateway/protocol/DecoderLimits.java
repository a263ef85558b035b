package io.stepcast.gateway.protocol;

/**
 * Bounds applied while decoding client messages.
 *
 * @param maxFrameBytes   largest accepted message, in bytes (larger: {@code frame_too_large})
 * @param maxArgsBytes    largest {@code command.args} object, in bytes
 * @param maxNestingDepth deepest JSON nesting accepted anywhere in a message
 */
public record DecoderLimits(int maxFrameBytes, int maxArgsBytes, int maxNestingDepth) {

    /** Defaults of DESIGN.md §4: 64 KiB frames, 16 KiB args, depth 32. */
    public static final DecoderLimits DEFAULTS = new DecoderLimits(64 * 1024, 16 * 1024, 32);

    public DecoderLimits {
        if (maxFrameBytes < 256 || maxArgsBytes < 2 || maxArgsBytes > maxFrameBytes || maxNestingDepth < 2) {
            throw new IllegalArgumentException("invalid decoder limits: frame=" + maxFrameBytes + " args="
                    + maxArgsBytes + " depth=" + maxNestingDepth);
        }
    }
}
