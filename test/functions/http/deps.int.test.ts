import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../../functions/http/app.tsx';
import { buildDeps } from '../../../functions/http/deps.ts';
import type { AppDeps } from '../../../functions/http/env.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../../infra/local/stack.ts';
import { parseInstant } from '../../../shared/clock.ts';
import { loadConfig, type Config } from '../../../shared/config.ts';
import type { AwsClients } from '../../../shared/store/clients.ts';
import { freshBucket, freshTable, localClients } from '../../support/aws.ts';
import { inboxOf } from '../../support/inbox.ts';
import { getWithSession, signIn, staffPlacement } from '../../support/staff.ts';

/**
 * buildDeps, the one wiring of the HTTP function, from a configuration as the environment gives
 * it, against the local stand-ins: each store reaches the configured table or bucket, SES sends
 * from the configured address, and what one store writes the app reads back through others.
 */
describe('buildDeps against the local stand-ins', () => {
  let clients: AwsClients;
  let config: Config;
  let deps: AppDeps;

  beforeAll(async () => {
    const endpoints = inject('endpoints');
    clients = localClients();
    config = loadConfig({
      AWS_REGION: LOCAL_REGION,
      AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
      AWS_ENDPOINT_URL_S3: endpoints.s3,
      AWS_ENDPOINT_URL_SES: endpoints.ses,
      TABLE_NAME: await freshTable(clients),
      BUCKET_NAME: await freshBucket(clients),
      PUBLIC_ORIGIN: 'https://werkplekleren.test/ignored-path',
      LINK_SECRET: 'deps-test-link-secret-of-at-least-32-chars',
      MAIL_FROM: 'planning.deps@example.org',
      ADMIN_EMAILS: ' Coordinator.Deps@HR.example.nl ,',
      MAX_UPLOAD_MB: '5',
      LINK_GRACE_DAYS: '7',
      NOW: '2025-11-10T09:00',
    });
    deps = buildDeps(config, LOCAL_CREDENTIALS);
  });

  it('takes the origin, secret, limits, admins and clock from the configuration, and uploads go to the S3 endpoint', () => {
    expect(deps.publicOrigin).toBe('https://werkplekleren.test');
    expect(deps.linkSecret).toBe('deps-test-link-secret-of-at-least-32-chars');
    expect(deps.linkGraceDays).toBe(7);
    expect(deps.maxUploadBytes).toBe(5 * 1024 * 1024);
    expect(deps.adminEmails).toEqual(['coordinator.deps@hr.example.nl']);
    expect(deps.clock.now().equals(parseInstant('2025-11-10T09:00'))).toBe(true);
    expect(deps.uploadOrigin).toBe(new URL(inject('endpoints').s3).origin);
  });

  it('writes a placement to the configured table, where the SDK finds it in the year index', async () => {
    const placement = staffPlacement('870001', 'deps');

    await deps.placements.create(placement, '2025-11-10T08:00:00Z');

    const stored = await clients.doc.send(
      new QueryCommand({
        TableName: config.TABLE_NAME,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': 'YEAR#2025-2026' },
      }),
    );
    expect(stored.Items?.map((item) => [item.entity, item.studentNumber, (item.student as { name: string }).name])).toEqual([['placement', '870001', 'Zoë de Vries']]);
    expect((await deps.placements.get('2025-2026', '870001'))?.school).toBe('Wolfert van Borselen');
  });

  it('signs a configured admin in through an email sent from MAIL_FROM, and shows them that placement', async () => {
    const app = createApp(deps);

    const session = await signIn(app, 'coordinator.deps@hr.example.nl');
    const overview = await getWithSession(app, '/overzicht', session);

    const mails = await inboxOf('coordinator.deps@hr.example.nl');
    expect(mails.map((mail) => [mail.from, mail.subject])).toEqual([['planning.deps@example.org', 'Inloggen bij Werkplekleren N2']]);
    expect(mails[0]!.body.text).toContain('https://werkplekleren.test/inloggen/');
    expect(overview.status).toBe(200);
    expect(await overview.text()).toContain('data-student="870001"');
  });
});
