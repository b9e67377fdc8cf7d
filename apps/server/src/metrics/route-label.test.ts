import { describe, expect, it } from 'vitest';
import { createRouteLabeller } from './route-label.js';

describe('createRouteLabeller', () => {
  const label = createRouteLabeller(
    [
      { method: 'ALL', path: '*' },
      { method: 'ALL', path: '/trpc/*' },
      { method: 'GET', path: '/v1/admin/inhouse/workflow-runs/stuck' },
      { method: 'GET', path: '/v1/admin/inhouse/workflow-runs/:id' },
      { method: 'ALL', path: '/v1/admin/inhouse/workflow-runs/:id' },
      { method: 'ALL', path: '/v1/admin/inhouse/*' },
      { method: 'GET', path: '/docs/assets/:file' },
      { method: 'GET', path: '/openapi.json' },
      { method: 'GET', path: '/admin/inhouse/workflows' },
      { method: 'GET', path: '/admin/inhouse/workflows/*' },
    ],
    ['workflowRuns.list', 'kpiHealth.summary'],
  );

  it('prefers a static template to a parameterised one registered before it, as a route table that lists static paths first does', () => {
    expect(label('/v1/admin/inhouse/workflow-runs/stuck')).toBe('/v1/admin/inhouse/workflow-runs/stuck');
    expect(label('/v1/admin/inhouse/workflow-runs/0b9c')).toBe('/v1/admin/inhouse/workflow-runs/:id');
  });

  it('takes a wildcard route of one method (a console page) for a template, and one of every method (middleware, a catch-all) for none', () => {
    expect(label('/admin/inhouse/workflows')).toBe('/admin/inhouse/workflows');
    expect(label('/admin/inhouse/workflows/4f1c2a7e/sends')).toBe('/admin/inhouse/workflows/*');
    expect(label('/v1/admin/inhouse/anything')).toBe('unmatched');
    expect(label('/anything')).toBe('unmatched');
  });

  it('never takes a parameter for more than one segment, nor a dot for any character', () => {
    expect(label('/v1/admin/inhouse/workflow-runs/a/b')).toBe('unmatched');
    expect(label('/openapiXjson')).toBe('unmatched');
    expect(label('/openapi.json/')).toBe('unmatched');
  });

  it('names a known tRPC procedure, a batch of known ones, and nothing else', () => {
    expect(label('/trpc/workflowRuns.list')).toBe('/trpc/workflowRuns.list');
    expect(label('/trpc/workflowRuns.list,kpiHealth.summary')).toBe('/trpc/:batch');
    expect(label('/trpc/workflowRuns.list,')).toBe('unmatched');
    expect(label('/trpc/constructor')).toBe('unmatched');
    expect(label('/trpc/')).toBe('unmatched');
  });
});
