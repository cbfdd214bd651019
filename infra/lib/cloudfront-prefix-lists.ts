/**
 * IDs of the AWS-managed prefix list `com.amazonaws.global.cloudfront.origin-facing` (the
 * addresses CloudFront connects to origins from), per region. AWS gives the list a different
 * ID in every region and never changes it; they are committed here so that `cdk synth` needs
 * no credentials (`aws ec2 describe-managed-prefix-lists --filters
 * Name=prefix-list-name,Values=com.amazonaws.global.cloudfront.origin-facing` shows yours).
 */
export const CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS: Readonly<Record<string, string>> = {
  'ap-northeast-1': 'pl-58a04531',
  'ap-northeast-2': 'pl-22a6434b',
  'ap-south-1': 'pl-9aa247f3',
  'ap-southeast-1': 'pl-31a34658',
  'ap-southeast-2': 'pl-b8a742d1',
  'ca-central-1': 'pl-38a64351',
  'eu-central-1': 'pl-a3a144ca',
  'eu-north-1': 'pl-fab65393',
  'eu-west-1': 'pl-4fa04526',
  'eu-west-2': 'pl-93a247fa',
  'eu-west-3': 'pl-75b1541c',
  'sa-east-1': 'pl-5da64334',
  'us-east-1': 'pl-3b927c52',
  'us-east-2': 'pl-b6a144df',
  'us-west-1': 'pl-4ea04527',
  'us-west-2': 'pl-82a045eb',
};

export function cloudFrontPrefixListIdFor(region: string, override: string | undefined): string {
  if (override !== undefined) {
    if (!/^pl-[0-9a-f]{8,17}$/.test(override)) {
      throw new Error(`context "cloudFrontPrefixListId" is not a prefix list ID: ${override}`);
    }
    return override;
  }
  const id = CLOUDFRONT_ORIGIN_FACING_PREFIX_LISTS[region];
  if (id === undefined) {
    throw new Error(
      `no CloudFront origin-facing prefix list known for ${region}: pass -c cloudFrontPrefixListId=pl-…`,
    );
  }
  return id;
}
