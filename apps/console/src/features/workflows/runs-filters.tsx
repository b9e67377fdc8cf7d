import { type FormEvent, useId, useState } from 'react';
import { fromLocalInput, toLocalInput } from '../../ui/format.js';
import { type ProjectOption, ProjectSelect } from '../../ui/project-select.js';
import { type RunFilterFields, STUCK_VALUES, type WorkflowsSearch } from './search.js';

/** SPEC §7.1: from inclusive, to exclusive, so a range must end after it starts; null when it does. */
export function rangeProblem(requestedFrom: string | undefined, requestedTo: string | undefined): string | null {
  if (requestedFrom && requestedTo && Date.parse(requestedFrom) >= Date.parse(requestedTo)) return '"Requested before" must be later than "Requested from".';
  return null;
}

/**
 * Project, action, requested time range (in the viewer's zone, written to the URL in UTC) and
 * stuck; applied on submit (or when a select changes), each change a new URL.
 */
export function RunsFilters({
  search,
  projects,
  onApply,
}: {
  search: WorkflowsSearch;
  projects: readonly ProjectOption[] | undefined;
  onApply: (filters: RunFilterFields) => void;
}) {
  const id = useId();
  const [problem, setProblem] = useState<string | null>(null);
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim() || undefined;
    const requestedFrom = fromLocalInput(text('requestedFrom') ?? '');
    const requestedTo = fromLocalInput(text('requestedTo') ?? '');
    const refused = rangeProblem(requestedFrom, requestedTo);
    setProblem(refused);
    if (refused) return;
    const stuck = text('stuck');
    onApply({
      projectId: text('projectId'),
      actionId: text('actionId'),
      requestedFrom,
      requestedTo,
      stuck: STUCK_VALUES.find((value) => value === stuck),
    });
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
        <label htmlFor={`${id}-action`}>Action</label>
        <input id={`${id}-action`} name="actionId" defaultValue={search.actionId ?? ''} placeholder="e.g. recover_abandoned" spellCheck={false} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-from`}>Requested from</label>
        <input id={`${id}-from`} name="requestedFrom" type="datetime-local" defaultValue={toLocalInput(search.requestedFrom)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-to`}>Requested before</label>
        <input
          id={`${id}-to`}
          name="requestedTo"
          type="datetime-local"
          defaultValue={toLocalInput(search.requestedTo)}
          aria-invalid={problem !== null}
          aria-describedby={problem ? `${id}-problem` : undefined}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-stuck`}>Stuck</label>
        <select id={`${id}-stuck`} name="stuck" defaultValue={search.stuck ?? ''}>
          <option value="">Any run</option>
          <option value="true">Only stuck runs</option>
          <option value="false">No stuck runs</option>
        </select>
      </div>
      <button type="submit">Apply</button>
      {problem ? (
        <p id={`${id}-problem`} className="error" role="alert">
          {problem}
        </p>
      ) : null}
    </form>
  );
}
