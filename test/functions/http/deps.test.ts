import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { buildDeps } from '../../../functions/http/deps.ts';
import { resolveLinkSecret } from '../../../shared/secrets.ts';
import { loadConfig } from '../../../shared/config.ts';
import { ConfigError } from '../../../shared/errors.ts';

const ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:LinkSecret-AbCdEf';
const SECRET = 'k'.repeat(48);

describe('resolveLinkSecret', () => {
  const secrets = mockClient(SecretsManagerClient);

  afterEach(() => {
    secrets.reset();
  });

  it('reads LINK_SECRET from the secret LINK_SECRET_ARN names when it is not set itself', async () => {
    secrets.on(GetSecretValueCommand, { SecretId: ARN }).resolves({ SecretString: SECRET });

    const config = await resolveLinkSecret(loadConfig({ LINK_SECRET_ARN: ARN }), new SecretsManagerClient({ region: 'eu-west-1' }));

    expect(config.LINK_SECRET).toBe(SECRET);
    expect(buildDeps(config).linkSecret).toBe(SECRET);
  });

  it('uses a LINK_SECRET that is set without asking Secrets Manager', async () => {
    const given = 'g'.repeat(40);

    const config = await resolveLinkSecret(loadConfig({ LINK_SECRET: given, LINK_SECRET_ARN: ARN }), new SecretsManagerClient({ region: 'eu-west-1' }));

    expect(config.LINK_SECRET).toBe(given);
    expect(secrets.calls()).toHaveLength(0);
  });

  it('refuses a secret shorter than 32 characters with a ConfigError', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'kort' });

    await expect(resolveLinkSecret(loadConfig({ LINK_SECRET_ARN: ARN }), new SecretsManagerClient({ region: 'eu-west-1' }))).rejects.toThrow(ConfigError);
  });

  it('leaves a configuration without either alone, so buildDeps names both variables', async () => {
    const config = await resolveLinkSecret(loadConfig({}));

    expect(() => buildDeps(config)).toThrow(/LINK_SECRET.*LINK_SECRET_ARN/);
  });

  it('rejects a LINK_SECRET_ARN that is not an ARN, naming the variable', () => {
    expect(() => loadConfig({ LINK_SECRET_ARN: 'geheim' })).toThrow(/LINK_SECRET_ARN/);
  });
});
