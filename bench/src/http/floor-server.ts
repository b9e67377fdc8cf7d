import pg from 'pg';
import { childSetting, serveAsChild } from './child.js';
import { createFloorApp } from './floor-app.js';

// The floor server (see `createFloorApp`), with the API's pool size.
const pool = new pg.Pool({ connectionString: childSetting('BENCH_CHILD_DATABASE_URL'), max: 10 });
serveAsChild(createFloorApp(pool).fetch);
