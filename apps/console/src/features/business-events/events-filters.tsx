import { type FormEvent, useId, useState } from 'react';
import { type ProjectOption, ProjectSelect } from '../../ui/project-select.js';
import { type EventFilterFields, type EventsSearch, EXACT_FILTERS, isEventTypeFilter, isPayloadFilter, PAYLOAD_FILTER_MAX } from './search.js';

/** What the form refuses before asking (the API would answer 400), by field. */
export function filterProblems(filters: Pick<EventFilterFields, 'eventType' | 'payload'>): Partial<Record<'eventType' | 'payload', string>> {
  const problems: Partial<Record<'eventType' | 'payload', string>> = {};
  if (filters.eventType && !isEventTypeFilter(filters.eventType)) {
    problems.eventType = 'Up to 20 types, comma-separated; each of letters, digits and _ . : -, optionally ending in * for a prefix.';
  }
  if (filters.payload && !isPayloadFilter(filters.payload))
    problems.payload = `A JSON object of at most ${PAYLOAD_FILTER_MAX} characters, e.g. {"currency":"USD"}.`;
  return problems;
}

/**
 * The explorer's filters (SPEC §7.6): project, types (exact or `prefix*`), the UTC day range, and
 * under "More filters" the exact-match fields and the payload's JSON containment. Applied on
 * submit (or when the project changes); the API judges the range and says what is wrong with it.
 */
export function EventsFilters({
  search,
  projects,
  eventTypes,
  onApply,
}: {
  search: EventsSearch;
  projects: readonly ProjectOption[] | undefined;
  eventTypes: readonly string[];
  onApply: (filters: EventFilterFields) => void;
}) {
  const id = useId();
  const [problems, setProblems] = useState<ReturnType<typeof filterProblems>>({});
  const moreSet = EXACT_FILTERS.some((filter) => search[filter.name] !== undefined) || search.payload !== undefined;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim() || undefined;
    const filters: EventFilterFields = {
      projectId: text('projectId'),
      eventType: text('eventType')?.replace(/\s*,\s*/g, ','),
      startDate: text('startDate'),
      endDate: text('endDate'),
      source: text('source'),
      actorType: text('actorType'),
      actorId: text('actorId'),
      entityType: text('entityType'),
      entityId: text('entityId'),
      sessionId: text('sessionId'),
      anonymousId: text('anonymousId'),
      correlationId: text('correlationId'),
      payload: text('payload'),
    };
    const found = filterProblems(filters);
    setProblems(found);
    if (Object.keys(found).length === 0) onApply(filters);
  }

  const problem = (name: 'eventType' | 'payload') =>
    problems[name] ? (
      <p id={`${id}-${name}-problem`} className="error" role="alert">
        {problems[name]}
      </p>
    ) : null;

  return (
    <form
      className="filters explorer"
      aria-label="Event filters"
      onSubmit={submit}
      onChange={(event) => {
        if (event.target instanceof HTMLSelectElement) event.currentTarget.requestSubmit();
      }}
    >
      <ProjectSelect projects={projects} value={search.projectId} />
      <div className="field">
        <label htmlFor={`${id}-type`}>
          Event type <span className="hint">(exact or prefix*, comma-separated)</span>
        </label>
        <input
          id={`${id}-type`}
          name="eventType"
          list={`${id}-types`}
          defaultValue={search.eventType ?? ''}
          placeholder="any, e.g. payment_*"
          spellCheck={false}
          aria-invalid={problems.eventType !== undefined}
          aria-describedby={problems.eventType ? `${id}-eventType-problem` : undefined}
        />
        <datalist id={`${id}-types`}>
          {eventTypes.map((type) => (
            <option key={type} value={type} />
          ))}
        </datalist>
        {problem('eventType')}
      </div>
      <div className="field">
        <label htmlFor={`${id}-start`}>From (UTC day)</label>
        <input id={`${id}-start`} name="startDate" type="date" defaultValue={search.startDate ?? ''} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-end`}>To (UTC day)</label>
        <input id={`${id}-end`} name="endDate" type="date" defaultValue={search.endDate ?? ''} />
      </div>
      <details className="more-filters" open={moreSet}>
        <summary>More filters</summary>
        <div className="filters">
          {EXACT_FILTERS.map((filter) => (
            <div key={filter.name} className="field">
              <label htmlFor={`${id}-${filter.name}`}>{filter.label}</label>
              <input id={`${id}-${filter.name}`} name={filter.name} defaultValue={search[filter.name] ?? ''} maxLength={200} spellCheck={false} />
            </div>
          ))}
          <div className="field payload-field">
            <label htmlFor={`${id}-payload`}>
              Payload contains <span className="hint">(a JSON object)</span>
            </label>
            <input
              id={`${id}-payload`}
              name="payload"
              defaultValue={search.payload ?? ''}
              placeholder='e.g. {"currency":"USD"}'
              maxLength={PAYLOAD_FILTER_MAX}
              spellCheck={false}
              aria-invalid={problems.payload !== undefined}
              aria-describedby={problems.payload ? `${id}-payload-problem` : undefined}
            />
            {problem('payload')}
          </div>
        </div>
      </details>
      <button type="submit">Apply</button>
    </form>
  );
}
