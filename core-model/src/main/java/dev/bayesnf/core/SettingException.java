package dev.bayesnf.core;

/**
 * A model setting's value refused by the model's checks. The message names the setting where
 * {@link #NAME} stands in the template; {@link #getMessage} writes it as {@code 'id'}, and front ends
 * write it their own way with {@link #messageFor} (the command line: {@code --harmonics needs ...};
 * WPS: {@code input 'harmonics' needs ...}).
 */
public final class SettingException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    /** Where the setting's name goes in a template. */
    public static final String NAME = "{setting}";

    private final Setting setting;
    private final String template;

    /** @param template the message, with {@link #NAME} where the setting is named */
    public SettingException(Setting setting, String template) {
        super(template.replace(NAME, "'" + setting.id() + "'"));
        this.setting = setting;
        this.template = template;
    }

    public Setting setting() {
        return setting;
    }

    /** The message with the setting called {@code name}. */
    public String messageFor(String name) {
        return template.replace(NAME, name);
    }
}
