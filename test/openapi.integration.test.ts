import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { api, startServer, tempDir } from './helpers/server.ts';
import { ApiRegistry, IdParams } from '../server/http/route.ts';
import { openApiDocument } from '../server/http/openapi.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

interface Operation {
  operationId?: string;
  security?: unknown[];
  responses: Record<string, { description: string; content?: Record<string, { schema: unknown }> }>;
}
interface Description {
  servers?: { url: string }[];
  info: { license?: { name: string } };
  paths: Record<string, Record<string, Operation>>;
}

interface LintReport {
  totals: { errors: number; warnings: number };
  problems: { ruleId: string; severity: string; message: string; location: { pointer?: string }[] }[];
}

/** Lints a description with the project's redocly.yaml (recommended rules), through the CLI as a person would. */
async function lint(description: unknown): Promise<LintReport> {
  const file = path.join(await tempDir('convene-openapi-'), 'openapi.json');
  await writeFile(file, JSON.stringify(description));
  // The CLI exits non-zero when it finds problems; the JSON report is on stdout either way.
  const { stdout } = await run(
    process.execPath,
    [path.join(root, 'node_modules/@redocly/cli/bin/cli.js'), 'lint', file, '--config', path.join(root, 'redocly.yaml'), '--format=json'],
    { cwd: root, env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 },
  ).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }));
  return JSON.parse(stdout.slice(stdout.indexOf('{'))) as LintReport;
}

const operations = (doc: Description) =>
  Object.entries(doc.paths).flatMap(([p, ops]) => Object.entries(ops).map(([method, op]) => ({ route: `${method} ${p}`, op })));

describe('the API description at /api/openapi.json', () => {
  it('passes the OpenAPI linter with the recommended rules: no errors, no warnings', async () => {
    const s = await startServer();
    const doc = (await api<Description>(s.url, 'GET', '/openapi.json')).body;
    const report = await lint(doc);
    const problems = report.problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? '?'}`);
    expect(problems).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  });

  it('names every operation uniquely, says where it is served and under which licence', async () => {
    const s = await startServer();
    const doc = (await api<Description>(s.url, 'GET', '/openapi.json')).body;
    expect(doc.servers?.[0]?.url).toMatch(/^\//);
    expect(doc.info.license?.name).toBe('AGPL-3.0-or-later');
    const ids = operations(doc).map(({ op }) => op.operationId);
    expect(ids.every((id) => typeof id === 'string' && /^[A-Za-z][A-Za-z0-9]*$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(doc.paths['/api/consultations/{id}/members/{memberId}']!.delete!.operationId).toBe('deleteConsultationsByIdMembersByMemberId');
  });

  it('documents the error shape and the statuses each route can give', async () => {
    const s = await startServer();
    const doc = (await api<Description>(s.url, 'GET', '/openapi.json')).body;
    for (const { route, op } of operations(doc)) {
      expect(Object.keys(op.responses).some((status) => /^4\d\d$/.test(status)), route).toBe(true);
      if (!op.security) expect(op.responses, route).toHaveProperty('401');
    }
    const removeMember = doc.paths['/api/consultations/{id}/members/{memberId}']!.delete!.responses;
    expect(Object.keys(removeMember)).toEqual(expect.arrayContaining(['400', '401', '403', '404', '409']));
    expect(removeMember['404']!.content!['application/json']!.schema).toEqual({ $ref: '#/components/schemas/Error' });
    expect(Object.keys(doc.paths['/api/consultations']!.post!.responses)).toContain('413');

    // What the description promises is what the server answers.
    const missing = await api<{ error: { code: string; message: string } }>(s.url, 'GET', '/consultations/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(401);
    expect(doc.paths['/api/consultations/{id}']!.get!.responses['401']!.description).toContain(missing.body.error.code);
  });

  it('derives operationIds and error responses for routes added later, without per-route work', async () => {
    const registry = new ApiRegistry();
    registry.add(
      { method: 'patch', path: '/documents/:id/title', tag: 'Documents', summary: 'Rename a document', params: IdParams, body: z.object({ title: z.string() }) },
      async () => undefined,
    );
    registry.add(
      { method: 'post', path: '/auth/sign-in-code', tag: 'Accounts', auth: false, summary: 'Ask for a code', body: z.object({ email: z.email() }), errors: ['rate_limited'] },
      async () => undefined,
    );
    const doc = openApiDocument(registry, '0.0.0') as unknown as Description;
    const rename = doc.paths['/api/documents/{id}/title']!.patch!;
    expect(rename.operationId).toBe('patchDocumentsByIdTitle');
    expect(Object.keys(rename.responses).sort()).toEqual(['204', '400', '401', '403', '404', '409', '413', 'default']);
    const code = doc.paths['/api/auth/sign-in-code']!.post!;
    expect(code.operationId).toBe('postAuthSignInCode');
    expect(Object.keys(code.responses).sort()).toEqual(['204', '400', '403', '413', '429', 'default']);
    expect(await lint(doc)).toMatchObject({ totals: { errors: 0, warnings: 0 } });
  });

  it('refuses two routes with the same operationId rather than describe them ambiguously', () => {
    const registry = new ApiRegistry();
    registry.add({ method: 'get', path: '/a-b', tag: 'T', summary: 'One' }, async () => undefined);
    registry.add({ method: 'get', path: '/a/b', tag: 'T', summary: 'Two', operationId: 'getAB' }, async () => undefined);
    expect(() => openApiDocument(registry, '0.0.0')).toThrow(/getAB/);
  });
});
