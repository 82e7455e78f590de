import { App } from 'aws-cdk-lib';
import { InfraConfigError, InfraConfigSchema, parseInfraConfig } from './config.ts';
import type { InfraConfig } from './config.ts';
import { WerkpleklerenStack } from './werkplekleren-stack.ts';

/** The context keys a deployer sets in cdk.json or with `-c key=value`: those of the schema. */
const contextKeys = Object.keys(InfraConfigSchema.shape);

/**
 * The CDK app. Context is validated before any construct exists; a bad value prints one line and
 * exits non-zero, so no template is ever written for a configuration that cannot work.
 */
function main(): void {
  // No auto-synth: a failed validation must not leave a half-written cloud assembly behind.
  const app = new App({ autoSynth: false });
  const raw = Object.fromEntries(contextKeys.map((key) => [key, app.node.tryGetContext(key)]));
  let config: InfraConfig;
  try {
    config = parseInfraConfig(raw);
  } catch (error) {
    if (!(error instanceof InfraConfigError)) throw error;
    console.error(error.message);
    process.exitCode = 1;
    return;
  }

  // Environment-agnostic on purpose: synth needs no AWS credentials; `cdk deploy` fills in the
  // account and region of whoever deploys.
  new WerkpleklerenStack(app, 'Werkplekleren', {
    config,
    description: 'Werkplekleren N2: forms and notifications',
  });
  app.synth();
}

main();
