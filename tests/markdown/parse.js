// Parses Markdown the way Mattermost's apps do and prints the node trees, for the reply tests
// (tests/SessionBot.Tests/Replies/MattermostParserTests.cs).
//
// stdin: a JSON array of Markdown strings. stdout: a JSON array of trees, one per input, in the same order. A node is
// {type, literal?, destination?, mention?, channel?, emoji?, hashtag?, latex?, info?, children?}.
'use strict';

const {Parser} = require('@mattermost/commonmark');

// The options of the mobile app (app/components/markdown/markdown.tsx: new Parser({urlFilter, minimumHashtagLength})),
// set as wide as a server admin can make them: every URL scheme autolinks (admins can add any scheme to
// DisplaySettings.CustomUrlSchemes) and the shortest hashtag counts. Mentions, channel links, emoji, emoticons,
// inline LaTeX, hashtags, tables and autolinks are always parsed; whether the app then renders LaTeX is its setting.
const parser = new Parser({urlFilter: () => true, minimumHashtagLength: 1});

function tree(node) {
    const out = {type: node.type};
    const fields = {
        literal: node.literal,
        destination: node.destination,
        info: node.info,
        mention: node.mentionName,
        channel: node.channelName,
        emoji: node.emojiName,
        hashtag: node.hashtag,
        latex: node.latexCode,
    };
    for (const [name, value] of Object.entries(fields)) {
        if (value !== null && value !== undefined && value !== '') {
            out[name] = value;
        }
    }
    const children = [];
    for (let child = node.firstChild; child; child = child.next) {
        children.push(tree(child));
    }
    if (children.length > 0) {
        out.children = children;
    }
    return out;
}

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
    input += chunk;
});
process.stdin.on('end', () => {
    const texts = JSON.parse(input);
    process.stdout.write(JSON.stringify(texts.map((text) => tree(parser.parse(text)))));
});
