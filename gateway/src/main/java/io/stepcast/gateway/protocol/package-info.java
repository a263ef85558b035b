/**
 * The client protocol as values: client frames and their decoder (bounded, typed rejections), server
 * frames and their encoder, close and error codes, request ids, and the resume {@code Cursor} that
 * every transport parses and whose continuity rule the hub and long-poll share. No I/O and no
 * Micronaut beans: pure, thread-safe code, tested without a server.
 */
package io.stepcast.gateway.protocol;
