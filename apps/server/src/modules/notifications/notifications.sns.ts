import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { regionOfTopic, toSnsMessage, type ArchiveNotification } from './notifications.models.js';

export type Notifier = {
  publish(notification: ArchiveNotification): Promise<void>;
  close(): void;
};

/**
 * The client is in the topic's region; the SDK's usual chain gives credentials and any
 * endpoint override (AWS_ENDPOINT_URL_SNS).
 */
export const createSnsNotifier = ({
  topicArn,
  client = new SNSClient({ region: regionOfTopic(topicArn) }),
}: {
  topicArn: string;
  client?: SNSClient;
}): Notifier => {
  const fifo = topicArn.endsWith('.fifo');
  return {
    publish: async (notification) => {
      await client.send(
        new PublishCommand({
          TopicArn: topicArn,
          ...toSnsMessage(notification),
          // A FIFO topic keeps one folder's outcomes in order and drops a repeated publish.
          ...(fifo
            ? {
                MessageGroupId: notification.folder.id,
                MessageDeduplicationId: `${notification.jobId}:${notification.type}`,
              }
            : {}),
        }),
      );
    },
    close: () => client.destroy(),
  };
};
