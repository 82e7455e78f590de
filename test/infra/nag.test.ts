import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { parseInfraConfig } from '#infra/config.ts';
import { WerkpleklerenStack } from '#infra/werkplekleren-stack.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const context = (JSON.parse(readFileSync(join(root, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;

describe('cdk-nag AwsSolutions', () => {
  it('finds nothing that is not acknowledged with a reason in infra/nag.ts', () => {
    const outdir = mkdtempSync(join(tmpdir(), 'werkplekleren-nag-'));
    try {
      // Only cdk-nag's rules are the subject here: bundling the handlers and CloudFormation's own
      // template validation cost most of a synthesis, and test/infra/stack.test.ts runs both.
      const app = new App({ outdir, context: { ...context, 'aws:cdk:bundling-stacks': [] }, builtinCloudFormationValidation: false });
      new WerkpleklerenStack(app, 'Nag', { config: parseInfraConfig(context) });
      Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

      // The validation plugin fails synthesis, listing every unacknowledged finding.
      let report = '';
      try {
        app.synth();
      } catch (error) {
        report = (error as Error).message;
      }

      expect(report).toBe('');
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }, 120_000);
});
