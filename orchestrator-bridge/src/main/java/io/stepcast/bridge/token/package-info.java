/**
 * Client tokens: minting and verifying the HS256 tokens that grant clients plans (and commands), with
 * the plan patterns they may carry.
 */
package io.stepcast.bridge.token;
