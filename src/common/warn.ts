/**
 * Logs a warning through Nest's Logger (the service's log), loading @nestjs/common only when a
 * warning is logged: the MySQL client, the poll writer and the store feeds' writes run in import
 * worker threads too, whose start would otherwise load it (a tenth of a second of CPU each) for
 * lines they seldom write. On the main thread the module is loaded already: the line follows at
 * once.
 */
export function warn(context: string, message: string): void {
  void import('@nestjs/common').then(({ Logger }) => new Logger(context).warn(message));
}
