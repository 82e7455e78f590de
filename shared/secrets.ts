import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { loadConfig, type Config } from './config.ts';
import { ConfigError } from './errors.ts';

/** The one call {@link resolveLinkSecret} makes; a SecretsManagerClient, or a fake in tests. */
export type SecretReader = Pick<SecretsManagerClient, 'send'>;

/**
 * The configuration with `LINK_SECRET` filled in, once per process (at cold start on Lambda). Given
 * as `LINK_SECRET` (locally, in tests) it is used as is; otherwise, when `LINK_SECRET_ARN` names a
 * Secrets Manager secret (the CDK stack creates it, so the template holds only the ARN), its
 * string is read. Throws a ConfigError when the secret holds less than 32 characters.
 */
export async function resolveLinkSecret(config: Config = loadConfig(), reader?: SecretReader): Promise<Config> {
  if (config.LINK_SECRET || !config.LINK_SECRET_ARN) return config;
  const client = reader ?? new SecretsManagerClient({ region: config.AWS_REGION });
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: config.LINK_SECRET_ARN }));
  if (!SecretString || SecretString.length < 32) {
    throw new ConfigError('Invalid configuration: LINK_SECRET_ARN: the secret must hold a string of at least 32 characters');
  }
  return { ...config, LINK_SECRET: SecretString };
}
