/**
 * The seam to a key management service ({@link io.envelope.jdbc.kms.KmsProvider}): AWS KMS through the AWS SDK
 * for Java v2 with whichever synchronous HTTP client is on the class path, and the local provider for development
 * and tests. Providers make and unwrap data keys and never see row data; every call is audited.
 */
package io.envelope.jdbc.kms;
