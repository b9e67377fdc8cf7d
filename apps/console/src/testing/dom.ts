import { act, type ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach } from 'vitest';

// React asks for this flag before it lets act() flush updates outside its own test renderer.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

/** A fresh container and React root for each test of the file (happy-dom), unmounted after it. */
export function useReactRoot(): { container: () => HTMLDivElement; render: (node: ReactNode) => void } {
  let container: HTMLDivElement;
  let root: Root;
  beforeEach(() => {
    container = document.createElement('div');
    document.body.append(container);
    root = createRoot(container);
  });
  afterEach(() => {
    act(() => root.unmount());
    container.remove();
  });
  return { container: () => container, render: (node) => act(() => root.render(node)) };
}
