// `loopback4-chat-service/sequelize`: the Sequelize variants of the
// repositories (same class names as the juggler ones) and the `ChatDb` over
// a @loopback/sequelize datasource. The component loads this module itself
// when `orm: 'sequelize'` is configured; import it for the classes' types or
// to extend them. Loading it loads @loopback/sequelize and sequelize, which
// the host installs (optional peer dependencies): a missing one is an error
// naming it.
import {requireOptional} from './require-optional';

const NEEDED_FOR = "The Sequelize repositories (orm: 'sequelize')";
requireOptional('sequelize', NEEDED_FOR);
requireOptional('@loopback/sequelize', NEEDED_FOR);

export * from './repositories/sequelize';
