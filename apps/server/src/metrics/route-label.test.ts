import { describe, expect, it } from 'vitest';
import { createRouteLabeller } from './route-label.js';

describe('createRouteLabeller', () => {
  const label = createRouteLabeller(
    ['*', '/v1/admin/inhouse/*', '/v1/admin/inhouse/workflow-runs/:id', '/v1/admin/inhouse/workflow-runs/stuck', '/docs/assets/:file', '/openapi.json'],
    ['workflowRuns.list', 'kpiHealth.summary'],
  );

  it('prefers a static template to a parameterised one registered before it, as a route table that lists static paths first does', () => {
    expect(label('/v1/admin/inhouse/workflow-runs/stuck')).toBe('/v1/admin/inhouse/workflow-runs/stuck');
    expect(label('/v1/admin/inhouse/workflow-runs/0b9c')).toBe('/v1/admin/inhouse/workflow-runs/:id');
  });

  it('never takes a wildcard route for a template, nor a parameter for more than one segment, nor a dot for any character', () => {
    expect(label('/v1/admin/inhouse/anything')).toBe('unmatched');
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
