/**
 * `npm run test:unit`: the unit projects of jest.config.js alone (no database server, no build).
 * A config of its own rather than `--selectProjects`, which would take the spec paths given after
 * it for project names. Unit specs keep the CPU busy (no waiting on servers), so one worker per
 * core.
 */
const { availableParallelism } = require('node:os');
const config = require('./jest.config');

module.exports = {
  ...config,
  maxWorkers: Number(process.env.JEST_WORKERS) || availableParallelism(),
  projects: config.projects.filter((project) => project.displayName.startsWith('unit')),
};
