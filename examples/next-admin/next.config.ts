import type { NextConfig } from 'next';

const config: NextConfig = {
  // The example lives inside the API's repository; its own folder is its root.
  turbopack: { root: import.meta.dirname },
};

export default config;
