import type { RotationEvent, RotationSecretsClient } from './rotation-protocol.js';

export class ResourceNotFoundException extends Error {
  override name = 'ResourceNotFoundException';
}

/**
 * An in-memory stand-in for the Secrets Manager API (AWS, not our own code), modelling
 * versions and staging labels closely enough to exercise the rotation protocol.
 */
export class FakeSecretsManager implements RotationSecretsClient {
  readonly versions = new Map<string, { secretString: string; stages: string[] }>();
  rotationEnabled = true;
  putCalls = 0;

  constructor(initialVersion: string, secretString: string) {
    this.versions.set(initialVersion, { secretString, stages: ['AWSCURRENT'] });
  }

  async describeSecret() {
    return {
      RotationEnabled: this.rotationEnabled,
      VersionIdsToStages: Object.fromEntries(
        [...this.versions].map(([id, version]) => [id, [...version.stages]]),
      ),
    };
  }

  async getSecretValue(input: { VersionId?: string; VersionStage?: string }) {
    const match = [...this.versions].find(
      ([id, version]) =>
        (input.VersionId === undefined || id === input.VersionId) &&
        (input.VersionStage === undefined || version.stages.includes(input.VersionStage)),
    );
    if (match === undefined) throw new ResourceNotFoundException('no such version');
    return { VersionId: match[0], SecretString: match[1].secretString };
  }

  async putSecretValue(input: {
    ClientRequestToken?: string;
    SecretString?: string;
    VersionStages?: string[];
  }) {
    this.putCalls += 1;
    const id = input.ClientRequestToken ?? 'generated';
    for (const stage of input.VersionStages ?? []) this.removeStage(stage);
    this.versions.set(id, {
      secretString: input.SecretString ?? '',
      stages: input.VersionStages ?? [],
    });
    return {};
  }

  async updateSecretVersionStage(input: {
    VersionStage?: string;
    MoveToVersionId?: string;
    RemoveFromVersionId?: string;
  }) {
    const target =
      input.MoveToVersionId === undefined ? undefined : this.versions.get(input.MoveToVersionId);
    if (target === undefined) throw new ResourceNotFoundException('no such version');
    const stage = input.VersionStage;
    if (stage === undefined) throw new Error('VersionStage is required');
    if (input.RemoveFromVersionId !== undefined) {
      const previous = this.versions.get(input.RemoveFromVersionId);
      if (previous === undefined || !previous.stages.includes(stage)) {
        throw new Error('RemoveFromVersionId does not hold the stage');
      }
      previous.stages = previous.stages.filter((s) => s !== stage);
      if (stage === 'AWSCURRENT') previous.stages.push('AWSPREVIOUS');
    }
    target.stages.push(stage);
    // Secrets Manager removes AWSPENDING once the new version becomes AWSCURRENT.
    if (stage === 'AWSCURRENT') {
      target.stages = target.stages.filter((s) => s !== 'AWSPENDING');
    }
    return {};
  }

  /** What Secrets Manager does before invoking the Lambda: stage a new token as AWSPENDING. */
  startRotation(token: string) {
    this.removeStage('AWSPENDING');
    this.pendingToken = token;
  }

  pendingToken: string | undefined;

  private removeStage(stage: string) {
    for (const version of this.versions.values()) {
      version.stages = version.stages.filter((s) => s !== stage);
    }
  }

  stringAt(stage: string): string {
    const version = [...this.versions.values()].find((v) => v.stages.includes(stage));
    if (version === undefined) throw new Error(`no ${stage}`);
    return version.secretString;
  }
}

/**
 * Secrets Manager's DescribeSecret lists the new token as AWSPENDING during rotation even
 * before createSecret stores a value; the fake models that with a wrapper.
 */
export function withPendingToken(fake: FakeSecretsManager): RotationSecretsClient {
  return {
    describeSecret: async () => {
      const description = await fake.describeSecret();
      const token = fake.pendingToken;
      if (token !== undefined && description.VersionIdsToStages[token] === undefined) {
        description.VersionIdsToStages[token] = ['AWSPENDING'];
      }
      return description;
    },
    getSecretValue: (input) => fake.getSecretValue(input),
    putSecretValue: (input) => fake.putSecretValue(input),
    updateSecretVersionStage: (input) => fake.updateSecretVersionStage(input),
  };
}

const steps = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const;

/** Runs one whole rotation the way Secrets Manager does: stage a token, then the four steps. */
export async function rotateOnce(
  fake: FakeSecretsManager,
  handler: (event: RotationEvent) => Promise<void>,
  { secretId, token }: { secretId: string; token: string },
): Promise<void> {
  fake.startRotation(token);
  for (const step of steps)
    await handler({ SecretId: secretId, ClientRequestToken: token, Step: step });
  fake.pendingToken = undefined;
}
