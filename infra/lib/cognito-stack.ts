import { CfnOutput, Duration, RemovalPolicy, SecretValue, Stack, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { resourcePrefix, type CognitoConfig } from './config.js';
import { COGNITO_PASSWORD_MIN_LENGTH, oidcCallbackPath } from './constants.js';
import type { MyFileStackProps } from './stack-props.js';

export interface CognitoStackProps extends MyFileStackProps {
  cognito: CognitoConfig;
}

/** The provider id the app knows the pool by: `OIDC_PROVIDERS=cognito`, `OIDC_COGNITO_*`. */
export const COGNITO_PROVIDER_ID = 'cognito';

/**
 * A Cognito user pool as the app's OpenID Connect provider: people sign in on Cognito's
 * managed login page and come back to the app's callback with an authorization code, which
 * the API exchanges with the client secret kept here in Secrets Manager.
 */
export class CognitoStack extends Stack {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  /** The app client's generated secret; reaches the API only as an ECS secret. */
  readonly clientSecret: secretsmanager.Secret;
  /** OIDC_COGNITO_ISSUER: the pool's issuer, whose discovery document the app reads. */
  readonly issuerUrl: string;
  readonly callbackUrl: string;

  constructor(scope: Construct, id: string, props: CognitoStackProps) {
    super(scope, id, props);
    const { config, cognito: settings } = props;
    const prefix = resourcePrefix(config);

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      userPoolName: prefix,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      selfSignUpEnabled: settings.selfSignUp,
      autoVerify: { email: true },
      // A new address takes effect only once verified: the app creates accounts only for
      // addresses the ID token says are verified, so an unverified change must not show.
      keepOriginal: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      userVerification: {
        emailSubject: 'My File: confirm your email address',
        emailBody: 'Your My File confirmation code is {####}',
      },
      mfa: settings.mfaRequired ? cognito.Mfa.REQUIRED : cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      // The app's own rule is length plus a strength estimate and no composition rules
      // (NIST 800-63B). Cognito cannot estimate strength, so it asks for more length and
      // refuses known-breached passwords through threat protection instead.
      passwordPolicy: {
        minLength: COGNITO_PASSWORD_MIN_LENGTH,
        requireLowercase: false,
        requireUppercase: false,
        requireDigits: false,
        requireSymbols: false,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      // The people and their second factors: deleting the stack must not delete them.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.acknowledgePoolFindings(settings);

    // Threat protection's answer to each risk. High risk (a known-bad IP, impossible travel)
    // is refused; lower risk asks for the second factor when the person has one. A password
    // found in a breach is refused at sign-up, sign-in and password change.
    new cognito.CfnUserPoolRiskConfigurationAttachment(this, 'RiskResponses', {
      userPoolId: this.userPool.userPoolId,
      clientId: 'ALL',
      compromisedCredentialsRiskConfiguration: { actions: { eventAction: 'BLOCK' } },
      accountTakeoverRiskConfiguration: {
        actions: {
          lowAction: { eventAction: 'MFA_IF_CONFIGURED', notify: false },
          mediumAction: { eventAction: 'MFA_IF_CONFIGURED', notify: false },
          highAction: { eventAction: 'BLOCK', notify: false },
        },
      },
    });

    // Threat protection's record of each sign-in, sign-up and password change (risk level,
    // decision, address, device): what an incident needs and the pool keeps only 90 days.
    // Cognito refuses KMS-encrypted log groups for this export.
    const activity = new logs.LogGroup(this, 'UserActivityLogs', {
      logGroupName: `/aws/vendedlogs/cognito/${prefix}/user-activity`,
      retention: config.logRetentionDays,
      removalPolicy: config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    new cognito.CfnLogDeliveryConfiguration(this, 'UserActivityExport', {
      userPoolId: this.userPool.userPoolId,
      logConfigurations: [
        {
          eventSource: 'userAuthEvents',
          logLevel: 'INFO',
          cloudWatchLogsConfiguration: { logGroupArn: activity.logGroupArn },
        },
      ],
    });

    this.callbackUrl = `${settings.publicUrl}${oidcCallbackPath(COGNITO_PROVIDER_ID)}`;
    this.client = this.userPool.addClient('AppClient', {
      userPoolClientName: `${prefix}-app`,
      // A confidential client: the API holds the secret, the browser never sees a token.
      generateSecret: true,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: [this.callbackUrl],
        logoutUrls: [`${settings.publicUrl}/sign-in`],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      readAttributes: new cognito.ClientAttributes().withStandardAttributes({
        email: true,
        emailVerified: true,
        fullname: true,
      }),
      // Sign-up on the managed login page writes the address; nothing else is kept there.
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({
        email: true,
        fullname: true,
      }),
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      // The app reads the ID token once, at the callback, and keeps its own session after it:
      // Cognito's tokens need not outlive that exchange.
      idTokenValidity: Duration.minutes(5),
      accessTokenValidity: Duration.minutes(5),
      refreshTokenValidity: Duration.minutes(60),
      authSessionValidity: Duration.minutes(3),
    });

    const domain = this.userPool.addDomain('LoginDomain', {
      cognitoDomain: { domainPrefix: settings.domainPrefix ?? `${prefix}-${this.account}` },
      managedLoginVersion: cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN,
    });
    // Managed login shows nothing until the client has a style; Cognito's own will do.
    new cognito.CfnManagedLoginBranding(this, 'LoginBranding', {
      userPoolId: this.userPool.userPoolId,
      clientId: this.client.userPoolClientId,
      useCognitoProvidedValues: true,
    });

    // CloudFormation hands the generated secret from the client to the secret (GetAtt):
    // it is never written in a template or a task definition.
    const cfnClient = this.client.node.defaultChild as cognito.CfnUserPoolClient;
    this.clientSecret = new secretsmanager.Secret(this, 'AppClientSecret', {
      secretName: `${prefix}/oidc/cognito-client-secret`,
      description: 'Client secret of the Cognito app client (OIDC_COGNITO_CLIENT_SECRET)',
      secretStringValue: SecretValue.resourceAttribute(cfnClient.attrClientSecret),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.clientSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Cognito generates this value and owns it; Secrets Manager only carries it to the API. It is replaced in Cognito, which keeps two secrets per client for the overlap (docs/deploy.md), not by a rotation function.',
    });

    this.issuerUrl = `https://cognito-idp.${this.region}.${this.urlSuffix}/${this.userPool.userPoolId}`;

    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'AppClientId', { value: this.client.userPoolClientId });
    new CfnOutput(this, 'Issuer', { value: this.issuerUrl });
    new CfnOutput(this, 'LoginUrl', { value: domain.baseUrl() });
    new CfnOutput(this, 'CallbackUrl', { value: this.callbackUrl });
  }

  private acknowledgePoolFindings(settings: CognitoConfig): void {
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG1',
      reason:
        "No composition rules, on purpose (NIST 800-63B, like the app itself): the minimum length is above the app's, and threat protection refuses passwords known from breaches.",
    });
    if (settings.mfaRequired) return;
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'MFA optional is the default (-c cognitoMfa=required makes it required): threat protection (ENFORCED) asks for the second factor on risky sign-ins of people who have one and blocks high-risk sign-ins.',
    });
  }
}
