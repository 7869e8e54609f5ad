/**
 * Data keys: the key table ({@code KeyTable}, {@code KeyTableLocation}), the per-runtime
 * {@link io.envelope.jdbc.keys.KeyRing} with its cache of unwrapped keys and its refresh ahead of expiry, the
 * authentication of key rows ({@code KeyRowStates}), and the key administration the command line performs. Keys are
 * unwrapped in {@code KeyUnwrapper} only.
 */
package io.envelope.jdbc.keys;
