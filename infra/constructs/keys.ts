import { RemovalPolicy } from 'aws-cdk-lib';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/**
 * The stack's KMS keys. Each does one job, so a grant on one never implies another:
 * - `recordings`: symmetric, encrypts audio in every bucket (with S3 bucket keys).
 * - `data`: symmetric, encrypts tables and the notices topic (metadata, logs, registers).
 * - `signing`: ECC P-256 sign/verify, signs checkpoints of the Release of Recording Log.
 * - `callerHmac`: HMAC-256, pseudonymises caller numbers (same number -> same token, never reversible).
 * All are retained when the stack is deleted: losing a key loses the data it protects.
 */
export class Keys extends Construct {
  readonly recordings: Key;
  readonly data: Key;
  readonly signing: Key;
  readonly callerHmac: Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.recordings = new Key(this, 'Recordings', {
      description: 'Call recordings: SSE-KMS for the inbox, archive and releases buckets',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.data = new Key(this, 'Data', {
      description: 'Call recording metadata: DynamoDB tables and the staff-notices topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Asymmetric and HMAC keys cannot rotate automatically; a new key is a new verification anchor.
    this.signing = new Key(this, 'Signing', {
      description: 'Signs Release of Recording Log checkpoints (verifiable offline with the public key)',
      keySpec: KeySpec.ECC_NIST_P256,
      keyUsage: KeyUsage.SIGN_VERIFY,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.callerHmac = new Key(this, 'CallerHmac', {
      description: 'Pseudonymises caller numbers (GenerateMac), so the catalogue never holds them in clear',
      keySpec: KeySpec.HMAC_256,
      keyUsage: KeyUsage.GENERATE_VERIFY_MAC,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
