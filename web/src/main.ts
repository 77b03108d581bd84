import './style.css';
import { startApp } from './app';

startApp();
