import { Injectable } from '@nestjs/common';
import { computeStoreFigures, formatFigures, Micros, REPORT_HEADER, StoreInput } from './utils';

/** The Nest face of the pure engine in ./utils, for the modules that build reports. */
@Injectable()
export class InterpolationService {
  readonly header = REPORT_HEADER;

  /** One CSV line (no newline) of SPEC §2 for a store. */
  reportLine(storeId: string, input: StoreInput, asOfUs: Micros): string {
    return formatFigures(storeId, computeStoreFigures(input, asOfUs));
  }
}
