/**
 * Publisher keys: the opaque secrets with which orchestrators call the HTTP ingest endpoint, held as
 * SHA-256 digests and matched in constant time; an authentication made from one grants ingest only,
 * never a read.
 */
package io.stepcast.gateway.publisher;
