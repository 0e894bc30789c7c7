import { Navigate } from 'react-router-dom';
import { BOXES, boxPath } from './boxes';

export { BOXES } from './boxes';
export { ContractBoxList } from './list/ContractBoxList';

/** /contracts has no list of its own: it opens 待我签署. */
export const ContractsHome = () => <Navigate to={boxPath(BOXES[0])} replace />;
