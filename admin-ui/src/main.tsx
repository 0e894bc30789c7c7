import { mountApp } from '../../ui-shared/src/mountApp';
import { App } from './App';

mountApp(App);
