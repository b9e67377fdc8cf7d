import { useId } from 'react';

export interface ProjectOption {
  projectId: string;
  projectName: string;
}

/** The project filter: every project by name, or all of them. */
export function ProjectSelect({
  projects,
  value,
  name = 'projectId',
  allLabel = 'All projects',
}: {
  projects: readonly ProjectOption[] | undefined;
  value: string | undefined;
  name?: string;
  allLabel?: string;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>Project</label>
      <select id={id} name={name} defaultValue={value ?? ''}>
        <option value="">{allLabel}</option>
        {projects?.map((project) => (
          <option key={project.projectId} value={project.projectId}>
            {project.projectName}
          </option>
        ))}
        {value && projects && !projects.some((project) => project.projectId === value) ? <option value={value}>{value}</option> : null}
      </select>
    </div>
  );
}
