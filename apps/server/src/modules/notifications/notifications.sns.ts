import type { SNSClient } from '@aws-sdk/client-sns';
import { regionOfTopic, toSnsMessage, type ArchiveNotification } from './notifications.models.js';

export type Notifier = {
  publish(notification: ArchiveNotification): Promise<void>;
  close(): void;
};

/**
 * The client is in the topic's region; the SDK's usual chain gives credentials and any
 * endpoint override (AWS_ENDPOINT_URL_SNS). The SDK is loaded with the first notification.
 */
export const createSnsNotifier = ({
  topicArn,
  client: givenClient,
}: {
  topicArn: string;
  client?: SNSClient;
}): Notifier => {
  const fifo = topicArn.endsWith('.fifo');
  let client = givenClient;
  return {
    publish: async (notification) => {
      const { PublishCommand, SNSClient } = await import('@aws-sdk/client-sns');
      client ??= new SNSClient({ region: regionOfTopic(topicArn) });
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
    close: () => client?.destroy(),
  };
};
