// What the results generator needs of the inspector directory (inspectors.ts builds it): officers by department and
// city, and their certificate windows. Its own module, so that entities.ts and inspectors.ts do not import each other.

export interface InspectorPool {
  ids: string[];
  validFromDay: number[];
  validToDay: number[];
  /** officer indices by [department index][city index] */
  officersByDepartmentCity: number[][][];
  officersByDepartment: number[][];
}

export const EMPTY_POOL: InspectorPool = { ids: [], validFromDay: [], validToDay: [], officersByDepartmentCity: [], officersByDepartment: [] };
