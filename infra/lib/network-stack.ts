import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { APP_PORT } from './constants.js';
import type { MyFileStackProps } from './stack-props.js';

/**
 * VPC over two AZs: public subnets (ALB, NAT gateways), private subnets with egress through
 * NAT (Fargate tasks), isolated subnets with no route to the internet (RDS, Redis).
 * All security groups live here so that the rules between tiers are readable in one place
 * and no stack has to reach back into another.
 */
export class NetworkStack extends Stack {
  readonly vpc: ec2.Vpc;
  readonly albSecurityGroup: ec2.SecurityGroup;
  readonly appSecurityGroup: ec2.SecurityGroup;
  readonly databaseSecurityGroup: ec2.SecurityGroup;
  readonly redisSecurityGroup: ec2.SecurityGroup;
  readonly s3Endpoint: ec2.GatewayVpcEndpoint;
  /** Secrets Manager rotation functions that log in to PostgreSQL. */
  readonly rotationSecurityGroup: ec2.SecurityGroup;
  private readonly zones: string[];

  constructor(scope: Construct, id: string, props: MyFileStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.zones = config.availabilityZones;

    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(config.vpcCidr),
      availabilityZones: config.availabilityZones,
      natGateways: config.natGateways,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
        { name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
      restrictDefaultSecurityGroup: true,
    });
    // CDK silences this itself when zones come from a lookup; ours are named on purpose.
    Validations.of(this).acknowledge({
      id: 'CloudFormation-Validate::W3010',
      reason: 'Zones are named in infra/lib/config.ts on purpose: synth needs no AWS lookup.',
    });

    // S3 traffic from tasks stays on the AWS network and costs no NAT data processing.
    this.s3Endpoint = this.vpc.addGatewayEndpoint('S3Endpoint', {
      service: ec2.GatewayVpcEndpointAwsService.S3,
      subnets: [
        { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      ],
    });

    const flowLogGroup = new logs.LogGroup(this, 'FlowLogs', {
      retention: config.flowLogRetentionDays,
      removalPolicy: config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    this.vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });

    this.albSecurityGroup = new ec2.SecurityGroup(this, 'AlbSecurityGroup', {
      vpc: this.vpc,
      description: 'ALB: CloudFront origin-facing addresses only, forwards to the app only',
      allowAllOutbound: false,
    });
    this.appSecurityGroup = new ec2.SecurityGroup(this, 'AppSecurityGroup', {
      vpc: this.vpc,
      description: 'API and worker tasks',
      // Tasks reach SES SMTP, ECR and AWS APIs through NAT or endpoints.
      allowAllOutbound: true,
    });
    this.databaseSecurityGroup = new ec2.SecurityGroup(this, 'DatabaseSecurityGroup', {
      vpc: this.vpc,
      description: 'RDS PostgreSQL: 5432 from app tasks only',
      allowAllOutbound: false,
    });
    this.redisSecurityGroup = new ec2.SecurityGroup(this, 'RedisSecurityGroup', {
      vpc: this.vpc,
      description: 'ElastiCache Redis: 6379 from app tasks only',
      allowAllOutbound: false,
    });
    this.rotationSecurityGroup = new ec2.SecurityGroup(this, 'RotationSecurityGroup', {
      vpc: this.vpc,
      description: 'Secrets Manager rotation functions for the database credentials',
      // They reach Secrets Manager (endpoint or NAT) and PostgreSQL.
      allowAllOutbound: true,
    });

    // Only CloudFront reaches the ALB, so nothing walks around the WAF. The prefix list
    // weighs ~55 rules against the group's quota of 60: one port, the one CloudFront uses.
    const originPort = config.domain.albCertificateArn === undefined ? 80 : 443;
    this.albSecurityGroup.addIngressRule(
      ec2.Peer.prefixList(config.cloudFrontPrefixListId),
      ec2.Port.tcp(originPort),
      'CloudFront origin-facing addresses',
    );
    this.albSecurityGroup.addEgressRule(
      this.appSecurityGroup,
      ec2.Port.tcp(APP_PORT),
      'to app tasks',
    );
    this.appSecurityGroup.addIngressRule(this.albSecurityGroup, ec2.Port.tcp(APP_PORT), 'from ALB');
    this.databaseSecurityGroup.addIngressRule(
      this.appSecurityGroup,
      ec2.Port.tcp(5432),
      'PostgreSQL from app tasks',
    );
    this.databaseSecurityGroup.addIngressRule(
      this.rotationSecurityGroup,
      ec2.Port.tcp(5432),
      'PostgreSQL from the credential rotation functions',
    );
    this.redisSecurityGroup.addIngressRule(
      this.appSecurityGroup,
      ec2.Port.tcp(6379),
      'Redis from app tasks',
    );

    if (config.interfaceEndpoints) this.addInterfaceEndpoints();
  }

  /**
   * The configured zones, not a lookup: with an explicit account the CDK would otherwise ask
   * EC2 for the account's zones at synth, which needs credentials.
   */
  override get availabilityZones(): string[] {
    return this.zones;
  }

  /** Secrets Manager, ECR and Logs reached privately instead of through NAT. */
  private addInterfaceEndpoints(): void {
    const endpointSecurityGroup = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc: this.vpc,
      description: 'Interface endpoints: 443 from app tasks only',
      allowAllOutbound: false,
    });
    endpointSecurityGroup.addIngressRule(
      this.appSecurityGroup,
      ec2.Port.tcp(443),
      'AWS APIs from app tasks',
    );
    endpointSecurityGroup.addIngressRule(
      this.rotationSecurityGroup,
      ec2.Port.tcp(443),
      'Secrets Manager from the rotation functions',
    );
    const interfaceEndpoints = {
      SecretsManager: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
      EcrApi: ec2.InterfaceVpcEndpointAwsService.ECR,
      EcrDocker: ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER,
      Logs: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
    };
    for (const [name, service] of Object.entries(interfaceEndpoints)) {
      this.vpc.addInterfaceEndpoint(`${name}Endpoint`, {
        service,
        subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        securityGroups: [endpointSecurityGroup],
        privateDnsEnabled: true,
        open: false,
      });
    }
  }
}
