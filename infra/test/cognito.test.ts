import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { PASSWORD_MIN_LENGTH } from '../../apps/server/src/modules/auth/passwords/passwords.models.js';
import { parseOidcProviders } from '../../apps/server/src/modules/oidc/oidc.config.js';
import { callbackUrlOf } from '../../apps/server/src/modules/oidc/oidc.usecases.js';
import { CognitoStack } from '../lib/cognito-stack.js';
import { loadEnvironmentConfig } from '../lib/config.js';
import { expectAllSecurityInvariants } from './security-invariants.js';
import { missingContextOf, prodDomainContext, synthesize } from './synth.js';

const synth = synthesize('prod', {
  ...prodDomainContext,
  cognito: 'true',
  cognitoSelfSignUp: 'true',
  passwordSignIn: 'false',
});
const { compute } = synth.templates;
const cognito = synth.templates.cognito as Template;

interface Container {
  Command?: string[];
  Environment?: Array<{ Name: string; Value: unknown }>;
  Secrets?: Array<{ Name: string; ValueFrom: unknown }>;
}

const containers = (): Container[] =>
  Object.values(compute.findResources('AWS::ECS::TaskDefinition')).flatMap(
    (definition) =>
      (definition as { Properties: { ContainerDefinitions: Container[] } }).Properties
        .ContainerDefinitions,
  );
const containerRunning = (command: string) => {
  const found = containers().find((container) => container.Command?.includes(command));
  expect(found, command).toBeDefined();
  return found as Container;
};

/**
 * A template value as the task would see it: references to other stacks become readable
 * stand-ins (the pool id is only known once deployed).
 */
const deployedValue = (value: unknown): string => {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (join !== undefined) return join[1].map(deployedValue).join(join[0]);
  if (JSON.stringify(value) === '{"Ref":"AWS::URLSuffix"}') return 'amazonaws.com';
  return 'eu-west-1_PoolId';
};

const environmentOf = (container: Container) =>
  Object.fromEntries(
    (container.Environment ?? []).map(({ Name, Value }) => [Name, deployedValue(Value)]),
  );

describe('cognito (-c cognito=true)', () => {
  it('keeps every security property and has no unacknowledged cdk-nag finding', () => {
    expectAllSecurityInvariants(synth);
    expect(synth.nagFindings).toEqual([]);
    expect(missingContextOf(synth)).toEqual([]);
  });

  it('makes a user pool: email as the user name, optional TOTP, threat protection enforced, kept on delete', () => {
    cognito.resourceCountIs('AWS::Cognito::UserPool', 1);
    cognito.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        UsernameAttributes: ['email'],
        AutoVerifiedAttributes: ['email'],
        UsernameConfiguration: { CaseSensitive: false },
        MfaConfiguration: 'OPTIONAL',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        UserPoolTier: 'PLUS',
        UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
        DeletionProtection: 'ACTIVE',
        AdminCreateUserConfig: Match.objectLike({ AllowAdminCreateUserOnly: false }),
        AccountRecoverySetting: {
          RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }],
        },
        UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
      }),
    });
    cognito.hasResourceProperties('AWS::Cognito::UserPoolRiskConfigurationAttachment', {
      ClientId: 'ALL',
      CompromisedCredentialsRiskConfiguration: { Actions: { EventAction: 'BLOCK' } },
      AccountTakeoverRiskConfiguration: {
        Actions: Match.objectLike({ HighAction: { EventAction: 'BLOCK', Notify: false } }),
      },
    });
  });

  it("exports threat protection's user activity to a log group kept like the others", () => {
    cognito.hasResource('AWS::Logs::LogGroup', {
      DeletionPolicy: 'Retain',
      Properties: {
        LogGroupName: '/aws/vendedlogs/cognito/myfile-prod/user-activity',
        RetentionInDays: 90,
      },
    });
    cognito.hasResourceProperties('AWS::Cognito::LogDeliveryConfiguration', {
      UserPoolId: { Ref: Match.stringLikeRegexp('^UserPool') },
      LogConfigurations: [
        {
          EventSource: 'userAuthEvents',
          LogLevel: 'INFO',
          CloudWatchLogsConfiguration: {
            LogGroupArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^UserActivityLogs'), 'Arn'] },
          },
        },
      ],
    });
  });

  it("asks for passwords at least as long as the app's own, without composition rules", () => {
    const pool = Object.values(cognito.findResources('AWS::Cognito::UserPool'))[0] as {
      Properties: { Policies: { PasswordPolicy: Record<string, unknown> } };
    };
    const policy = pool.Properties.Policies.PasswordPolicy;
    expect(policy.MinimumLength).toBeGreaterThanOrEqual(PASSWORD_MIN_LENGTH);
    expect(policy).toMatchObject({
      RequireLowercase: false,
      RequireUppercase: false,
      RequireNumbers: false,
      RequireSymbols: false,
    });
  });

  it('offers managed login on a Cognito domain, styled so it shows', () => {
    cognito.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      Domain: 'myfile-prod-123456789012',
      ManagedLoginVersion: 2,
    });
    cognito.hasResourceProperties('AWS::Cognito::ManagedLoginBranding', {
      UseCognitoProvidedValues: true,
      ClientId: { Ref: Match.stringLikeRegexp('^UserPoolAppClient') },
    });
  });

  it("makes a confidential code-flow client whose callback is the app's OIDC callback", () => {
    cognito.resourceCountIs('AWS::Cognito::UserPoolClient', 1);
    cognito.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: true,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      CallbackURLs: [callbackUrlOf('https://files.example.com', 'cognito')],
      LogoutURLs: ['https://files.example.com/sign-in'],
      SupportedIdentityProviders: ['COGNITO'],
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    });
  });

  it('keeps the client secret in Secrets Manager, filled by CloudFormation from the client', () => {
    cognito.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'myfile-prod/oidc/cognito-client-secret',
      SecretString: {
        'Fn::GetAtt': [Match.stringLikeRegexp('^UserPoolAppClient'), 'ClientSecret'],
      },
    });
  });

  it('gives the API the provider settings the server accepts, the secret only through ECS secrets', () => {
    const api = containerRunning('serve');
    const env = environmentOf(api);
    expect(env).toMatchObject({
      OIDC_PROVIDERS: 'cognito',
      OIDC_COGNITO_ISSUER: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_PoolId',
      OIDC_COGNITO_LABEL: 'My File account',
      OIDC_ALLOW_SIGNUP: 'true',
      PASSWORD_SIGNIN: 'false',
    });
    expect(Object.keys(env)).not.toContain('OIDC_COGNITO_CLIENT_SECRET');
    const secret = (api.Secrets ?? []).find(({ Name }) => Name === 'OIDC_COGNITO_CLIENT_SECRET');
    expect(JSON.stringify(secret?.ValueFrom)).toContain('AppClientSecret');

    // The server's own parser, fed what the task would get, finds the provider and the
    // callback the client was registered with.
    const fail = (message: string): never => {
      throw new Error(message);
    };
    const providers = parseOidcProviders(
      { ...env, OIDC_COGNITO_CLIENT_SECRET: 'from-secrets-manager' },
      fail,
    );
    expect(providers).toMatchObject([
      {
        id: 'cognito',
        issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_PoolId',
        scopes: 'openid email profile',
      },
    ]);
    const client = Object.values(cognito.findResources('AWS::Cognito::UserPoolClient'))[0] as {
      Properties: { CallbackURLs: string[] };
    };
    expect(client.Properties.CallbackURLs).toEqual([
      callbackUrlOf(env.PUBLIC_URL ?? '', providers[0]?.id ?? ''),
    ]);
  });

  it('leaves the worker and the migration task without provider settings', () => {
    for (const command of ['worker', 'migrate']) {
      const container = containerRunning(command);
      const names = [
        ...(container.Environment ?? []).map(({ Name }) => Name),
        ...(container.Secrets ?? []).map(({ Name }) => Name),
      ];
      expect(names.filter((name) => /^OIDC_|^PASSWORD_SIGNIN$/.test(name))).toEqual([]);
    }
  });
});

describe('cognito with -c cognitoMfa=required', () => {
  it('makes everyone set up TOTP (the managed login page shows the QR code) and still refuses SMS', () => {
    const app = new App({
      context: { ...prodDomainContext, env: 'prod', cognito: 'true', cognitoMfa: 'required' },
    });
    const config = loadEnvironmentConfig(app.node);
    const settings = config.cognito;
    expect(settings?.mfaRequired).toBe(true);
    if (settings === undefined) return;
    const stack = new CognitoStack(app, 'Cognito', {
      env: { account: '123456789012', region: config.region },
      config,
      cognito: settings,
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
    });
  });
});
