import { type FormEvent, useId } from 'react';
import { type ProjectOption, ProjectSelect } from '../../ui/project-select.js';
import type { WorkflowsSearch } from './search.js';

/** Project and action; applied on submit (or when the project changes), each change a new URL. */
export function RunsFilters({
  search,
  projects,
  onApply,
}: {
  search: WorkflowsSearch;
  projects: readonly ProjectOption[] | undefined;
  onApply: (filters: Pick<WorkflowsSearch, 'projectId' | 'actionId'>) => void;
}) {
  const actionId = useId();
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim() || undefined;
    onApply({ projectId: text('projectId'), actionId: text('actionId') });
  }
  return (
    <form
      className="filters"
      aria-label="Run filters"
      onSubmit={submit}
      onChange={(event) => {
        if (event.target instanceof HTMLSelectElement) event.currentTarget.requestSubmit();
      }}
    >
      <ProjectSelect projects={projects} value={search.projectId} />
      <div className="field">
        <label htmlFor={actionId}>Action</label>
        <input id={actionId} name="actionId" defaultValue={search.actionId ?? ''} placeholder="e.g. recover_abandoned" spellCheck={false} />
      </div>
      <button type="submit">Apply</button>
    </form>
  );
}
