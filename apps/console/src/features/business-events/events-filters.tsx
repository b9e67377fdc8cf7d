import { type FormEvent, useId } from 'react';
import { type ProjectOption, ProjectSelect } from '../../ui/project-select.js';
import type { EventsSearch } from './search.js';

/** Project, type and date range (UTC days, inclusive); the API judges the range and says what is wrong with it. */
export function EventsFilters({
  search,
  projects,
  eventTypes,
  onApply,
}: {
  search: EventsSearch;
  projects: readonly ProjectOption[] | undefined;
  eventTypes: readonly string[];
  onApply: (filters: Omit<EventsSearch, 'cursor'>) => void;
}) {
  const id = useId();
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim() || undefined;
    onApply({ projectId: text('projectId'), eventType: text('eventType'), startDate: text('startDate'), endDate: text('endDate') });
  }
  return (
    <form
      className="filters"
      aria-label="Event filters"
      onSubmit={submit}
      onChange={(event) => {
        if (event.target instanceof HTMLSelectElement) event.currentTarget.requestSubmit();
      }}
    >
      <ProjectSelect projects={projects} value={search.projectId} />
      <div className="field">
        <label htmlFor={`${id}-type`}>Event type</label>
        <input id={`${id}-type`} name="eventType" list={`${id}-types`} defaultValue={search.eventType ?? ''} placeholder="any" spellCheck={false} />
        <datalist id={`${id}-types`}>
          {eventTypes.map((type) => (
            <option key={type} value={type} />
          ))}
        </datalist>
      </div>
      <div className="field">
        <label htmlFor={`${id}-start`}>From (UTC day)</label>
        <input id={`${id}-start`} name="startDate" type="date" defaultValue={search.startDate ?? ''} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-end`}>To (UTC day)</label>
        <input id={`${id}-end`} name="endDate" type="date" defaultValue={search.endDate ?? ''} />
      </div>
      <button type="submit">Apply</button>
    </form>
  );
}
