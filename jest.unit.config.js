/**
 * `npm run test:unit`: the unit projects of jest.config.js alone (no database server, no build).
 * A config of its own rather than `--selectProjects`, which would take the spec paths given after
 * it for project names.
 */
const config = require('./jest.config');

module.exports = { ...config, projects: config.projects.filter((project) => project.displayName.startsWith('unit')) };
