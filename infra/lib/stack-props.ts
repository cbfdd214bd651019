import type { StackProps } from 'aws-cdk-lib';
import type { EnvironmentConfig } from './config.js';

export interface MyFileStackProps extends StackProps {
  config: EnvironmentConfig;
}
