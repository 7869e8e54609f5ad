/**
 * The stored-value format (docs/format.md): canonical plaintext encodings, randomized (AES-256-GCM) and
 * deterministic (AES-256-CBC with a synthetic IV and HMAC-SHA-256) encryption of one column's values
 * ({@link io.envelope.jdbc.crypto.ColumnCipher}), sub-key derivation with HKDF, the MAC of a table's key rows, and
 * key objects whose bytes can be wiped. Only the JDK's JCE is used.
 */
package io.envelope.jdbc.crypto;
