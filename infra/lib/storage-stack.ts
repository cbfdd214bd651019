import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { resourcePrefix } from './config.js';
import type { MyFileStackProps } from './stack-props.js';

export interface StorageStackProps extends MyFileStackProps {
  s3Endpoint: ec2.IGatewayVpcEndpoint;
}

/** Object data actions that only the app, from inside the VPC, may perform. */
export const OBJECT_DATA_ACTIONS = [
  's3:GetObject',
  's3:GetObjectVersion',
  's3:PutObject',
  's3:DeleteObject',
  's3:RestoreObject',
];

/**
 * The files bucket (hot tier, `STORAGE_URL`) and the archive bucket (cold tier,
 * `ARCHIVE_STORAGE_URL`; the app writes with storage class GLACIER and issues RestoreObject).
 * Both are private, SSE-KMS, TLS-only, versioned, and their objects are readable and
 * writable only through the VPC's S3 gateway endpoint.
 */
export class StorageStack extends Stack {
  readonly dataKey: kms.Key;
  readonly filesBucket: s3.Bucket;
  readonly archiveBucket: s3.Bucket;
  /** Exactly the bucket and object actions the app uses, for its task role. */
  readonly appAccessPolicy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: StorageStackProps) {
    super(scope, id, props);
    const { config } = props;
    const removalPolicy = config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.dataKey = new kms.Key(this, 'DataKey', {
      description: `${resourcePrefix(config)} file and archive buckets`,
      enableKeyRotation: true,
      removalPolicy,
    });

    // S3 server access logs cannot be delivered to an SSE-KMS bucket, hence SSE-S3 here.
    const accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy,
    });

    const commonProps: s3.BucketProps = {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.dataKey,
      bucketKeyEnabled: true,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: accessLogsBucket,
      removalPolicy,
    };

    this.filesBucket = new s3.Bucket(this, 'Files', {
      ...commonProps,
      serverAccessLogsPrefix: 'files/',
      lifecycleRules: [
        { abortIncompleteMultipartUploadAfter: Duration.days(2) },
        // Deleted or overwritten blobs stay recoverable for 30 days, then go.
        { noncurrentVersionExpiration: Duration.days(30) },
      ],
    });

    this.archiveBucket = new s3.Bucket(this, 'Archive', {
      ...commonProps,
      serverAccessLogsPrefix: 'archive/',
      lifecycleRules: [
        { abortIncompleteMultipartUploadAfter: Duration.days(2) },
        // Noncurrent versions move to the cheapest tier before they expire; GLACIER has a
        // 90-day minimum storage charge, so expiring them sooner would save nothing.
        {
          noncurrentVersionTransitions: [
            { storageClass: s3.StorageClass.DEEP_ARCHIVE, transitionAfter: Duration.days(1) },
          ],
          noncurrentVersionExpiration: Duration.days(180),
        },
      ],
    });

    this.appAccessPolicy = this.createAppAccessPolicy();

    for (const bucket of [this.filesBucket, this.archiveBucket]) {
      bucket.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'DenyObjectAccessOutsideVpc',
          effect: iam.Effect.DENY,
          principals: [new iam.AnyPrincipal()],
          actions: OBJECT_DATA_ACTIONS,
          resources: [bucket.arnForObjects('*')],
          conditions: { StringNotEquals: { 'aws:SourceVpce': props.s3Endpoint.vpcEndpointId } },
        }),
      );
    }
  }

  private createAppAccessPolicy(): iam.ManagedPolicy {
    const objectActions = [
      's3:GetObject',
      's3:PutObject',
      's3:DeleteObject',
      's3:AbortMultipartUpload',
      's3:ListMultipartUploadParts',
    ];
    const policy = new iam.ManagedPolicy(this, 'AppBucketAccess', {
      description: 'My File tasks: the files and archive buckets, nothing else',
      statements: [
        new iam.PolicyStatement({
          sid: 'ListAppBuckets',
          actions: ['s3:ListBucket', 's3:ListBucketMultipartUploads'],
          resources: [this.filesBucket.bucketArn, this.archiveBucket.bucketArn],
        }),
        new iam.PolicyStatement({
          sid: 'HotTierObjects',
          actions: objectActions,
          resources: [this.filesBucket.arnForObjects('*')],
        }),
        new iam.PolicyStatement({
          sid: 'ArchiveTierObjects',
          actions: [...objectActions, 's3:RestoreObject'],
          resources: [this.archiveBucket.arnForObjects('*')],
        }),
      ],
    });
    for (const bucket of [this.filesBucket, this.archiveBucket]) {
      const logicalId = this.getLogicalId(bucket.node.defaultChild as s3.CfnBucket);
      Validations.of(policy).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>/*]`,
        reason:
          'Object keys are made at run time (content-addressed blobs); the statement is limited to this one bucket.',
      });
    }
    return policy;
  }
}
