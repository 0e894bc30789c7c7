import { createContext, useContext } from 'react';

/**
 * Lets 签署 (in the header) hand signing to the contract page: free placement opens the
 * placement mode; preset participants get their marks shown stamped (一键盖章) and the SMS step.
 */
export const SigningModeContext = createContext<{ start: (participantId: string) => void } | null>(null);
export const useSigningMode = () => useContext(SigningModeContext);
